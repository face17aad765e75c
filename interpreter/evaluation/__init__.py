"""Evaluation: values, built-in functions, the calendar, facts, the evaluator and norms."""
