"""Knowledge base: PDFs uploaded to S3, chunked, embedded into pgvector, searched per tenant."""
