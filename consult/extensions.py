"""Flask extensions, created unbound and attached to the app in create_app()."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
# Storage comes from RATELIMIT_STORAGE_URI: Redis when REDIS_URL is set, so limits hold across workers.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def limit_from_config(key: str):
    """Let rate limits be read from config at request time, so deployments and tests can tune them."""
    return lambda: current_app.config[key]
