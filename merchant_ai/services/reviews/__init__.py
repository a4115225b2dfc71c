"""Product reviews: sentiment from the text, star mismatches, topics, praise and complaints, trend.

Entry point for the Reviews page and the command line: analysis.analyze(store, as_of=None).
"""
