/**
 * Whether object storage and Databricks are configured, from the environment.
 * TODO(storage, spark issues): read settings and ~/.databrickscfg through their own config modules.
 */
export function servicesStatus(env: NodeJS.ProcessEnv) {
  const storage = env.MINIO_ENDPOINT
    ? { configured: Boolean(env.MINIO_ACCESS_KEY && env.MINIO_SECRET_KEY), endpoint: env.MINIO_ENDPOINT, bucket: env.MINIO_BUCKET ?? 'sparkpolar' }
    : { configured: false };
  const databricks = env.DATABRICKS_HOST
    ? { configured: Boolean(env.DATABRICKS_TOKEN || (env.DATABRICKS_CLIENT_ID && env.DATABRICKS_CLIENT_SECRET)), host: env.DATABRICKS_HOST, auth: env.DATABRICKS_TOKEN ? 'token' : 'oauth-m2m', source: 'environment' }
    : { configured: false };
  return { storage, databricks };
}
