"""peerlink's tests. Data they read lives inside the checkout, under tests/data/."""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
