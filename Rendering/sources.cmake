# Sources of the Rendering part of the GradientOpacity module (paths relative
# to the repository root).
set(go_rendering_classes)
set(go_rendering_sources)
set(go_rendering_private_headers)
