-- Extensions and enumerated types used across the schema.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TYPE user_role AS ENUM ('MANAGER', 'ENTITY_ADMIN', 'PROFESSIONAL');
CREATE TYPE participant_type AS ENUM ('HUMAN', 'AGENT');
CREATE TYPE room_status AS ENUM ('SCHEDULED', 'ACTIVE', 'COMPLETED', 'CANCELLED');
CREATE TYPE document_status AS ENUM ('pending', 'processing', 'completed', 'failed');
CREATE TYPE notification_status AS ENUM ('queued', 'sent', 'failed');

-- Shared trigger: keep updated_at honest on every table that has one.
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;
