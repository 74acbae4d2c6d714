// The web addresses of the documentation pages, one place for the CLI's SARIF output and the language server's links.
// No imports, so that any front end can take it without pulling in another.

/** The repository's home page (SARIF `informationUri`). */
export const REPOSITORY_URL = 'https://github.com/serverless-lint/serverless-lint';

/** Where `npm run docs` puts the rules' pages, as published on the repository's main branch. */
export const DOCS_BASE = `${REPOSITORY_URL}/blob/main/docs/rules`;

/** The web page of a rule (diagnostic code link, hover, "Show documentation" fallback, SARIF `helpUri`). */
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}/${ruleId}.md`;
}

/** The web page of a configuration check, beside the rules' pages. */
export function configCheckDocsUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/config-checks/${id}.md`;
}
