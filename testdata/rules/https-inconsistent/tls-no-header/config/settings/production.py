from .base import *  # noqa: F403

ALLOWED_HOSTS = ["example.com"]
SECURE_PROXY_SSL_HEADER = None
