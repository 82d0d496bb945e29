"""AI back-ends chosen by settings: OpenAI (or compatible) and offline models from PyPI packages."""
