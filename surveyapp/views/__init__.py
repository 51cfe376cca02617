"""One blueprint per audience."""
from .audits import bp as audits_bp
from .auth import bp as auth_bp
from .coordinator import bp as coordinator_bp
from .main import bp as main_bp

BLUEPRINTS = [main_bp, auth_bp, coordinator_bp, audits_bp]
