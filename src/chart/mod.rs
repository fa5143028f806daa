//! Charts drawn with plotters as hermetic SVG.
