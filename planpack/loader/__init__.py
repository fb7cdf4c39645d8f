"""Loading: YAML files to validated models, every problem a located finding."""
