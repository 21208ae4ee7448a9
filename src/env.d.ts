/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by an article page before its MDX renders (and by other pages with figures); read by Cite and Figure for numbering. */
    casebook?: import('./lib/page-context.ts').PageContext;
  }
}
