"""Query language and the compiled index that matches every active query at once."""
