"""Text core: language and script detection, segmentation, Chinese conversion with glossaries, PII.

Modules: `detect` (language and script), `segment` (sentences, tokens, width), `convert` (OpenCC
plus glossaries and protected spans), `glossary` (built-in and per-department term tables),
`pii` (recognisers and operators), `files` (converting DOCX, XLSX, Markdown).
"""
