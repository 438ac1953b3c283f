import type { Page } from 'playwright-core';

/** Cell texts of one grid column (by its `data-column`) for the first `rows` rendered rows. */
export async function gridColumnValues(page: Page, column: string, rows: number): Promise<string[]> {
  return page.evaluate(
    ({ column, rows }) => {
      const heads = Array.from(document.querySelectorAll('[role="grid"] [role="columnheader"]'));
      const index = heads.findIndex((h) => h.getAttribute('data-column') === column);
      const out: string[] = [];
      for (let r = 0; r < rows; r++) {
        const row = document.querySelector(`[role="grid"] [role="row"][aria-rowindex="${r + 2}"]`);
        out.push(row?.children[index]?.textContent ?? '');
      }
      return out;
    },
    { column, rows },
  );
}
