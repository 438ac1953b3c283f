/**
 * Spark vs Polars: timings per analysis and proof that both engines agree.
 * First version: the empty state explaining how to connect Databricks (built out in this issue).
 */
export default function SparkVsPolarsPage() {
  return (
    <section className="spark-page" aria-labelledby="spark-page-title">
      <h1 id="spark-page-title">Spark vs Polars</h1>
      <p>Run the same analyses on Databricks and compare the timings and the results with Polars.</p>
      <h2>Connect Databricks</h2>
      <ul>
        <li>Settings ▸ Databricks: the workspace URL and a personal access token (or an OAuth service principal).</li>
        <li>
          Or set <code>DATABRICKS_HOST</code> and <code>DATABRICKS_TOKEN</code> before starting the app.
        </li>
        <li>
          Or use a profile of <code>~/.databrickscfg</code> (<code>DATABRICKS_CONFIG_PROFILE</code>).
        </li>
      </ul>
    </section>
  );
}
