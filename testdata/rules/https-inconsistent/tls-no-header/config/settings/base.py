import environ

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", False)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
