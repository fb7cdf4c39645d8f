"""Formatters: findings and scores as text, JSON, GitHub annotations and JUnit XML.

Formatting is separate from finding: each function takes a CheckRun and
returns the text to print.
"""
