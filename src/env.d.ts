/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by the article page before its MDX renders; read by Cite and Figure for numbering. */
    casebook?: import('./lib/page-context.ts').PageContext;
  }
}
