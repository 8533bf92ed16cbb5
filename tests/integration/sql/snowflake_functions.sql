-- Snowflake-only functions for PostgreSQL, so that the loader's Snowflake SQL
-- (simple, union and generic modes, the shard predicate) runs unmodified on
-- the test PostgreSQL. Plain SQL without psql meta-commands: psql -f, or one
-- PQexec, loads it. Idempotent (CREATE OR REPLACE), and loadable before or
-- after the tables exist (function bodies are checked when first called).
--
-- The UDFs live in the schema of the data that -generate N -target writes,
-- skyflow_poc (the default -target-schema); for another schema, replace
-- every skyflow_poc below.

SET check_function_bodies = off;

CREATE SCHEMA IF NOT EXISTS skyflow_poc;

-- TO_VARCHAR(date) gives 'YYYY-MM-DD' in Snowflake, whatever DateStyle says
-- here; for any other type the value's text form.
CREATE OR REPLACE FUNCTION public.to_varchar(value date) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT to_char(value, 'YYYY-MM-DD') $$;

CREATE OR REPLACE FUNCTION public.to_varchar(value anyelement) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$ SELECT value::text $$;

-- HASH(x, ...): a deterministic signed 64-bit number of its arguments (the
-- first 8 bytes of SHA-256 of their text forms, separated by U+001F, NULL
-- as U+001E). Snowflake's own values differ; only determinism and spread
-- matter to the loader's shard predicate. PostgreSQL accepts VARIADIC "any"
-- only in C functions, so the arguments must share a type (or have a
-- common one: integer and bigint, text and varchar).
CREATE OR REPLACE FUNCTION public.hash(VARIADIC items anycompatiblearray) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT ('x' || left(encode(sha256(convert_to(array_to_string(items, chr(31), chr(30)),
                                               'UTF8')), 'hex'), 16))::bit(64)::bigint
$$;

-- The union mode's detokenising UDFs: the token of a value, looked up in
-- the *_token columns of clm and mbr (values are unique per vault, so the
-- first match is the match); NULL when the value is in neither table.
CREATE OR REPLACE FUNCTION skyflow_poc.skfl_mbr_name_detok(value text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT token FROM (
    SELECT src_mbr_nm_token AS token FROM skyflow_poc.clm WHERE src_mbr_nm = value
    UNION ALL
    SELECT mbr_nm_token FROM skyflow_poc.mbr WHERE mbr_nm = value) AS found
  LIMIT 1
$$;

CREATE OR REPLACE FUNCTION skyflow_poc.skfl_mbr_identifiers_detok(value text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT token FROM (
    SELECT src_mbr_id_token AS token FROM skyflow_poc.clm WHERE src_mbr_id = value
    UNION ALL
    SELECT mbr_id_token FROM skyflow_poc.mbr WHERE mbr_id = value) AS found
  LIMIT 1
$$;

CREATE OR REPLACE FUNCTION skyflow_poc.skfl_birthdate_detok(value text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT token FROM (
    SELECT src_mbr_birth_dt_token AS token FROM skyflow_poc.clm WHERE src_mbr_birth_dt = value
    UNION ALL
    SELECT birth_dt_token FROM skyflow_poc.mbr WHERE birth_dt = value) AS found
  LIMIT 1
$$;

CREATE OR REPLACE FUNCTION skyflow_poc.skfl_ssn_detok(value text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT token FROM (
    SELECT src_mbr_ssn_token AS token FROM skyflow_poc.clm WHERE src_mbr_ssn = value
    UNION ALL
    SELECT ssn_token FROM skyflow_poc.mbr WHERE ssn = value) AS found
  LIMIT 1
$$;
