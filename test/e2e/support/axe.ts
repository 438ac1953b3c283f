/**
 * axe-core (the engine behind Lighthouse's accessibility audit) run inside the page. Its source is
 * evaluated through the DevTools protocol, so the app's strict CSP stays as it ships.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One serious or critical violation, readable in a test failure: rule, where, and why. */
export interface Finding {
  state: string;
  rule: string;
  impact: string;
  target: string;
  summary: string;
}

/** Serious and critical violations on the page as it is now (WCAG 2.0–2.2 A/AA and best practices). */
export async function audit(page: Page, state: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => ({ state, rule: v.rule, impact: v.impact, target: n.target, summary: n.summary.replace(/\s+/g, ' ') })),
    );
}
