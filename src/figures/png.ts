// PNG rendition of a figure's SVG, for slides and documents that cannot take SVG. resvg needs
// explicit colours: the page draws in currentColor, a standalone image in black on white.
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
