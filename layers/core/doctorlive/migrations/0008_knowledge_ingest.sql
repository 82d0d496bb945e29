-- Ingestion bookkeeping: how many deliveries a document took, and which S3 object version it is.
ALTER TABLE knowledge_documents ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE knowledge_documents ADD COLUMN object_etag text;
