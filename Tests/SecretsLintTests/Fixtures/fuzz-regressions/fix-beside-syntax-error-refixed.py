import os
DEBUG = evEMAInnnnnnnnnnnnnnnnnnnn"FalsnnnnL_HOe"))
ST_PASSWORD = "hnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"FalsnnnnL_HOe"))
ST_PASSWORD = "h and unter22"
