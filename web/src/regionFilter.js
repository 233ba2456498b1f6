// The region tree beside list pages: a selected node as the households search's parameters.
// Provinces, cities and districts (2, 4, 6 digits) filter by `region`, townships (9 digits) by
// `township`; nothing selected filters by neither.
export function regionQuery(code) {
  const c = String(code || '');
  if (!c) return { region: '', township: '' };
  if (c.length === 9) return { region: '', township: c };
  return { region: c, township: '' };
}
