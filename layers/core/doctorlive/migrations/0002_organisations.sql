-- Entities (organisations), their users, departments and professionals.
CREATE TABLE entities (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                     text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    type                     text NOT NULL CHECK (length(type) BETWEEN 1 AND 50),
    default_instructions     text CHECK (length(default_instructions) <= 8000),
    max_participants         integer NOT NULL DEFAULT 10 CHECK (max_participants BETWEEN 1 AND 100),
    recording_retention_days integer NOT NULL DEFAULT 30 CHECK (recording_retention_days IN (7, 30, 90, 365)),
    locale                   text NOT NULL DEFAULT 'pt-BR' CHECK (locale IN ('pt-BR', 'en')),
    timezone                 text NOT NULL DEFAULT 'America/Sao_Paulo',
    active                   boolean NOT NULL DEFAULT true,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX entities_name_key ON entities (lower(name));
CREATE INDEX entities_type_idx ON entities (type);
CREATE INDEX entities_active_idx ON entities (active);

CREATE TABLE users (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email               text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    password_hash       text,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role                user_role NOT NULL,
    entity_id           uuid REFERENCES entities (id),
    active              boolean NOT NULL DEFAULT true,
    last_login_at       timestamptz,
    password_changed_at timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- Only the platform MANAGER lives outside an entity.
    CONSTRAINT users_entity_required CHECK (role = 'MANAGER' OR entity_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_entity_idx ON users (entity_id);

CREATE TABLE departments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_id    uuid NOT NULL REFERENCES entities (id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    instructions text CHECK (length(instructions) <= 8000),
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX departments_entity_name_key ON departments (entity_id, lower(name));

CREATE TABLE professionals (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_id  uuid NOT NULL REFERENCES entities (id),
    user_id    uuid REFERENCES users (id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email      text CHECK (length(email) <= 254),
    phone      text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    specialty  text CHECK (length(specialty) <= 200),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX professionals_entity_idx ON professionals (entity_id);
CREATE INDEX professionals_user_idx ON professionals (user_id);
CREATE INDEX professionals_email_idx ON professionals (lower(email));

CREATE TABLE professional_entities (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    professional_id uuid NOT NULL REFERENCES professionals (id) ON DELETE CASCADE,
    entity_id       uuid NOT NULL REFERENCES entities (id),
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT professional_entities_key UNIQUE (professional_id, entity_id)
);
CREATE INDEX professional_entities_entity_idx ON professional_entities (entity_id);

CREATE TRIGGER entities_updated_at BEFORE UPDATE ON entities FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER departments_updated_at BEFORE UPDATE ON departments FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER professionals_updated_at BEFORE UPDATE ON professionals FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER professional_entities_updated_at BEFORE UPDATE ON professional_entities FOR EACH ROW EXECUTE FUNCTION set_updated_at();
