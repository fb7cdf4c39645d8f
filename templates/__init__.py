"""planpack's default packet templates; this folder is installed as planpack.templates."""
