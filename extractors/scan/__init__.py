"""The scan reader: page images (image-only PDF pages, PNG/JPEG/TIFF) into the document model.

One page goes through small steps, each its own module:

* ``raster``   — images in: PDF pages rendered with pypdfium2, image frames (multi-page TIFF),
  with a cap on pixels so a 20000×20000 px page cannot exhaust memory;
* ``deskew``   — the page's skew from its ruling lines (else its text lines), turned straight;
* ``ink``      — which pixels are print, pen (blue ballpoint) and seal (red) ink;
* ``lines``    — ruling lines by OpenCV morphology, as layout ``Rule`` s in PDF points;
* ``ticks``    — the tick-box stage: candidates → measured evidence → decision (its package);
* ``marks``    — the red seal and a handwritten signature as ``Mark`` s;
* ``ocr``      — RapidOCR (one engine per process), text lines as ``TextPiece`` s;
* ``page``     — the chain for one page: ``read_scan_page(image, …) -> PageContent``
  (``scan_page`` also returns the tick verdicts, the OCR lines and the step timings);
* ``debug``    — ``python -m extractors.scan.debug FILE --page N``: the page drawn with every
  candidate box, its verdict and reason, and every OCR line;
* ``image_reader`` — ``read_image(path, name) -> Document`` for image files.

The pieces are laid out into tables and paragraphs by the same ``extractors.layout`` code that
lays out a PDF text layer, so the mapper never knows a page was scanned.
"""
