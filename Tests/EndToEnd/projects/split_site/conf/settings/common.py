"""Settings the deployed environments share."""
from conf.settings.base import *  # noqa: F401,F403

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
