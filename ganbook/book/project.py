"""Facts about the project, defined once: the tests check every other copy against these."""

REPO_URL = "https://github.com/ganbook/ganbook"
REPO_BRANCH = "main"
# What a Colab cell installs: the package straight from the repository.
PIP_INSTALL = f"ganbook @ git+{REPO_URL}@{REPO_BRANCH}"
