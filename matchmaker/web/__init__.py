"""The shared web layer: base forms and fields, access decorators, display labels, paging, links, language and time.

Features build on it; it imports no feature.
"""
