"""pvpython, GUI-free: Plugin/GradientOpacity.xml parses; every property has
documentation; its default equals the VTK object's own default; and a
non-default value set on the proxy reaches the VTK object (read back with the
VTK getter)."""
import sys
import xml.etree.ElementTree as ET
from pvtest_common import *  # noqa: F401,F403

import gradientopacity  # noqa: F401  (Python types of the module's classes)

XML = sys.argv[1]


def vtk_get(obj, prop):
    """The getter when Python-wrapped; else the value PrintSelf prints
    (vtkPAutoGradientOpacity is only client-server wrapped)."""
    g = getattr(obj, "Get" + prop, None)
    if g is not None:
        return g()
    for line in str(obj).splitlines():
        line = line.strip()
        if line.startswith(prop + ":"):
            v = line.split(":", 1)[1].strip()
            if v == "(none)":
                return None
            try:
                return int(v)
            except ValueError:
                try:
                    return float(v)
                except ValueError:
                    return v
    raise AttributeError(prop)
load_plugin(globals())
tree = ET.parse(XML)
proxies = tree.getroot().findall("./ProxyGroup/SourceProxy")
# Labels read well in the pipeline browser and in Python, ParaView's style
# ("Gradient Of Unstructured DataSet" -> GradientOfUnstructuredDataSet).
assert {p.get("label") for p in proxies} == {"Promoted Gradient Magnitude", "Auto Gradient Opacity"}

w = Wavelet()
w.UpdatePipeline()
creators = {"GradientMagnitudePromoted": PromotedGradientMagnitude, "AutoGradientOpacity": AutoGradientOpacity}
checked = 0
for px in proxies:
    name = px.get("name")
    if px.find("Documentation") is None or not (px.find("Documentation").text or "").strip():
        fail("%s: no documentation" % name)
    proxy = creators[name](Input=w)
    vtkobj = proxy.GetClientSideObject()
    fresh = vtkobj.NewInstance()
    for prop in px:
        if not prop.tag.endswith("VectorProperty"):
            continue
        pname, command = prop.get("name"), prop.get("command")
        doc = prop.find("Documentation")
        if doc is None or not (doc.text or "").strip():
            fail("%s.%s: no documentation" % (name, pname))
        if pname == "SelectInputScalars":
            proxy.GetProperty(pname).SetData(["POINTS", "RTData"])
            proxy.UpdateVTKObjects()
            arr = vtkobj.GetInputArrayInformation(0)
            from vtkmodules.vtkCommonDataModel import vtkDataObject
            if arr.Get(vtkDataObject.FIELD_NAME()) != "RTData":
                fail("%s.%s did not reach the VTK object" % (name, pname))
            checked += 1
            continue
        getter = (lambda o=vtkobj, c=command[3:]: vtk_get(o, c))
        default = prop.get("default_values")
        vtk_default = vtk_get(fresh, command[3:])
        is_string = prop.tag.startswith("String")
        if is_string:
            if (vtk_default or "") != (default or ""):
                fail("%s.%s: XML default %r != VTK default %r" % (name, pname, default, vtk_default))
            value = "probe_array"
        else:
            conv = float if prop.tag.startswith("Double") else int
            if conv(default) != conv(vtk_default):
                fail("%s.%s: XML default %r != VTK default %r" % (name, pname, default, vtk_default))
            enum = prop.find("EnumerationDomain")
            rng = prop.find("DoubleRangeDomain")
            if rng is None:
                rng = prop.find("IntRangeDomain")
            if enum is not None:
                values = [int(e.get("value")) for e in enum.findall("Entry")]
                value = [v for v in values if v != conv(default)][-1]
            elif prop.find("BooleanDomain") is not None:
                value = 1 - int(default)
            else:
                lo = conv(rng.get("min")) if rng is not None and rng.get("min") else None
                hi = conv(rng.get("max")) if rng is not None and rng.get("max") else None
                value = conv(default) + (conv(3) if conv is int else 0.75)
                if hi is not None and value > hi:
                    value = conv(default) - (1 if conv is int else 0.25)
                if lo is not None and value < lo:
                    value = lo
        proxy.GetProperty(pname).SetData(value)
        proxy.UpdateVTKObjects()
        got = getter()
        # PrintSelf (fallback reader) prints 6 significant digits.
        if (got or "") != value if is_string else abs(got - value) > 1e-5 * max(1.0, abs(value)):
            fail("%s.%s: set %r on the proxy, VTK object has %r" % (name, pname, value, got))
        print("%-26s %-22s XML default %-8s = VTK default; set %-12r -> VTK %r" %
              (name, pname, default, value, got))
        checked += 1
    Delete(proxy)
print("checked %d properties" % checked)
print("PASS")
