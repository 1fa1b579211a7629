/**
 * The schema, created at start with CREATE TABLE IF NOT EXISTS (idempotent, no migration tool). It runs on
 * MySQL 8 (RDS) and MariaDB 10.11 alike: utf8mb4_unicode_ci exists on both (MySQL 8's default collation,
 * utf8mb4_0900_ai_ci, does not exist on MariaDB), and timestamps are set by the statements with
 * UTC_TIMESTAMP(3) rather than by column defaults, so they are UTC whatever the server's time zone.
 */
export const SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS stories (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    title VARCHAR(200) NOT NULL,
    body TEXT NOT NULL,
    image_key VARCHAR(512) NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY stories_created_at (created_at)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
];
