DEBUG = True  # expect: DJS005
DEBUG = (1)  # expect: DJS005
DEBUG = TEMPLATE_DEBUG = True  # expect: DJS005
DEBUG: bool = True  # expect: DJS005
if SOMETHING:
    DEBUG = True  # expect: DJS005


class Base(Configuration):
    DEBUG = True  # expect: DJS005
