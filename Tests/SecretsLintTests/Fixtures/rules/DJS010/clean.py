import os
SECRET_KEY_FALLBACKS = [os.environ["OLD_SECRET_KEY"]]
SECRET_KEY_FALLBACKS = []
SECRET_KEY_FALLBACKS = ["{{ old_secret_key }}"]
