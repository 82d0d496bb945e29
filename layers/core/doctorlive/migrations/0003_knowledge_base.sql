-- Knowledge base: uploaded documents and their embedded chunks.
CREATE TABLE knowledge_documents (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_id             uuid NOT NULL REFERENCES entities (id),
    department_id         uuid REFERENCES departments (id),
    filename              text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    s3_key                text NOT NULL UNIQUE,
    content_type          text NOT NULL DEFAULT 'application/pdf',
    size_bytes            bigint CHECK (size_bytes >= 0),
    status                document_status NOT NULL DEFAULT 'pending',
    status_reason         text,
    page_count            integer,
    chunk_count           integer NOT NULL DEFAULT 0,
    embedding_model       text,
    uploaded_by           uuid REFERENCES users (id),
    processing_started_at timestamptz,
    completed_at          timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_documents_entity_idx ON knowledge_documents (entity_id, created_at DESC);
CREATE INDEX knowledge_documents_department_idx ON knowledge_documents (department_id);
CREATE INDEX knowledge_documents_status_idx ON knowledge_documents (status);

CREATE TABLE knowledge_chunks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id     uuid NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
    -- Denormalised from the document so the vector search filters without a join.
    entity_id       uuid NOT NULL REFERENCES entities (id),
    department_id   uuid REFERENCES departments (id),
    chunk_index     integer NOT NULL,
    page_start      integer NOT NULL,
    page_end        integer NOT NULL,
    content         text NOT NULL,
    token_count     integer NOT NULL,
    embedding       vector(768) NOT NULL,
    -- The model that made this vector: vectors of different models are never compared.
    embedding_model text NOT NULL,
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT knowledge_chunks_document_index_key UNIQUE (document_id, chunk_index)
);
CREATE INDEX knowledge_chunks_embedding_hnsw ON knowledge_chunks USING hnsw (embedding vector_cosine_ops);
CREATE INDEX knowledge_chunks_scope_idx ON knowledge_chunks (entity_id, embedding_model, department_id);
CREATE INDEX knowledge_chunks_content_fts ON knowledge_chunks USING gin (to_tsvector('simple', content));

CREATE TRIGGER knowledge_documents_updated_at BEFORE UPDATE ON knowledge_documents FOR EACH ROW EXECUTE FUNCTION set_updated_at();
