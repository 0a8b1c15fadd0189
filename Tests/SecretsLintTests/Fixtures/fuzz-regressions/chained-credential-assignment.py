EMAIL_HOST_PASSWORD = default="hunter22"
