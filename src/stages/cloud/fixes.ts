// How the cloud stage's fixes name the places that change a namespace's settings.

/** The namespace's page in the Cloud UI, where its authentication, CAs, filters and endpoints are shown and edited. */
export function consolePage(namespace: string): string {
  return `the namespace's page in the Cloud UI (https://cloud.temporal.io/namespaces/${namespace})`;
}
