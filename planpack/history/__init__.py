"""History: plan versions from git, compared as plans."""
