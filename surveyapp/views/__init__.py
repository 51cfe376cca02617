"""One blueprint per audience."""
from .account import bp as account_bp
from .api import bp as api_bp
from .admin import bp as admin_bp
from .audits import bp as audits_bp
from .auth import bp as auth_bp
from .coordinator import bp as coordinator_bp
from .downloads import bp as downloads_bp
from .main import bp as main_bp
from .plans import bp as plans_bp
from .posters import bp as posters_bp
from .respond import bp as respond_bp
from .strategy import bp as strategy_bp

BLUEPRINTS = [main_bp, auth_bp, respond_bp, coordinator_bp, posters_bp, admin_bp, account_bp, audits_bp, downloads_bp, plans_bp, strategy_bp, api_bp]
