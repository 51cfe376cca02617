"""One blueprint per audience."""
from .auth import bp as auth_bp
from .coordinator import bp as coordinator_bp
from .main import bp as main_bp
from .respond import bp as respond_bp

BLUEPRINTS = [main_bp, auth_bp, coordinator_bp, respond_bp]
