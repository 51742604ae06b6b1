"""OCR: scans and photos read with Tesseract's Vietnamese model through OCRmyPDF, in durable
background jobs; the searchable PDF is kept as a rendition beside the untouched original."""
