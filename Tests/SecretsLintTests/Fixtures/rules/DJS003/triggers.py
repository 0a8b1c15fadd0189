SECRET_KEY = "changeme"  # expect: DJS003
SECRET_KEY = "abababababababababababababababababababababababababababab"  # expect: DJS003
SECRET_KEY = "\x41\x42\x43\x44\x45\x46\x47\x48\x49\x4a\x4b\x4c\x4d\x4e\x4f\x50\x51\x52\x53\x54"  # expect: DJS003
SECRET_KEY = 'ünïcødé-kéy'  # expect: DJS003
if DEBUG:
    SECRET_KEY = "dev"  # expect: DJS003
