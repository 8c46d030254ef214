/** The bare app's one page: a line of text, plain React, no CSS framework (copied to `app/page.tsx`). */
export default function Page() {
  return <main>A bare Next.js page.</main>;
}
