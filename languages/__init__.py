"""Languages: URL-prefixed locales, the language switcher and ``hreflang`` links."""
