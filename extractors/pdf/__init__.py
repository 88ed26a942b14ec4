"""The born-digital PDF reader's parts: opening a PDF safely (``opening``), a page's text
layer as positioned pieces and rules (``text_layer``), symbol-font tick glyphs by font name
and code point (``symbols``), vector-drawn checkboxes (``vector_boxes``) and the per-page
test of whether a text layer can be trusted (``quality``).  ``extractors/pdf_reader.py``
routes each page to this text-layer path or to the scan reader."""
