SECRET_KEY = "change"changeSECRET_KEY = 'django-insecure-' 'abmeme"c
'
