// Map of plots: GeoJSON from the app, coloured by land use or survival. No tile server unless
// the page names one (data-tiles), so the plots show on a blank background without internet.
(function () {
  const element = document.getElementById("plot-map");
  if (!element || typeof L === "undefined") return;
  const labels = JSON.parse(element.dataset.labels);
  const landUseColours = { cacao: "#8b4513", sugarcane: "#20c997", purma: "#fd7e14", forest: "#198754" };
  const map = L.map(element, { preferCanvas: true }).setView([-7.2, -76.7], 9);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 18 }).addTo(map);
  }
  const survivalColour = (pct) => {
    if (pct === null || pct === undefined) return "#6c757d";
    if (pct < 50) return "#dc3545";
    if (pct < 70) return "#fd7e14";
    if (pct < 85) return "#ffc107";
    return "#198754";
  };
  let mode = "land_use";
  let layer = null;
  let data = null;
  const hasProblems = (props) => Array.isArray(props.problems) && props.problems.length > 0;
  const colour = (props) => {
    if (mode === "problems") return hasProblems(props) ? "#dc3545" : "#198754";
    return mode === "land_use" ? landUseColours[props.land_use] || "#6c757d" : survivalColour(props.survival_pct);
  };
  // A plot with a problem keeps a red outline whatever the colouring, so problems always show.
  const outline = (props) => (hasProblems(props) ? "#dc3545" : colour(props));
  const plotUrl = (id) => (element.dataset.plotUrl || "").replace(/0\/?$/, (end) => String(Number(id)) + end.slice(1));
  const text = (value) => String(value === null || value === undefined ? "–" : value)
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "map-legend");
    const entries = mode === "problems"
      ? [["#dc3545", labels.problems], ["#198754", labels.ok]]
      : mode === "land_use"
      ? Object.keys(landUseColours).map((key) => [landUseColours[key], labels[key]])
      : [["#198754", "≥ 85 %"], ["#ffc107", "70–85 %"], ["#fd7e14", "50–70 %"], ["#dc3545", "< 50 %"], ["#6c757d", labels.unknown]];
    entries.forEach(([swatch, label]) => {
      const row = L.DomUtil.create("div", "", div);
      const dot = L.DomUtil.create("span", "swatch", row);
      dot.style.backgroundColor = swatch;
      row.appendChild(document.createTextNode(label));
    });
    return div;
  };
  const draw = () => {
    if (layer) layer.remove();
    legend.remove();
    layer = L.geoJSON(null, {
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 5, weight: hasProblems(feature.properties) ? 3 : 1 }),
      style: (feature) => ({
        color: outline(feature.properties),
        weight: hasProblems(feature.properties) ? 3 : 1,
        fillColor: colour(feature.properties),
        fillOpacity: 0.6,
      }),
      onEachFeature: (feature, featureLayer) => {
        const p = feature.properties;
        const problems = hasProblems(p)
          ? `<br><strong>${text(labels.problems)}:</strong> ${p.problems.map(text).join("; ")}`
          : "";
        featureLayer.bindPopup(
          `<strong><a href="${text(plotUrl(p.id))}">${text(p.code)}</a></strong><br>${text(p.member)} (${text(p.member_code)})<br>${text(p.community)}<br>` +
          `${text(labels[p.land_use])}, ${text(p.area_ha)} ha<br>${text(labels.survival)}: ${text(p.survival_pct)} % (${text(p.alive)} / ${text(p.planted)})` +
          problems
        );
      },
    }).addTo(map);
    // One feature at a time: a malformed one is counted and skipped, the others still draw.
    let skipped = 0;
    data.features.forEach((feature) => {
      try {
        layer.addData(feature);
      } catch (error) {
        skipped += 1;
      }
    });
    const count = `${data.features.length - skipped} ${labels.plots}`;
    document.getElementById("plot-count").textContent = skipped ? `${count} (${skipped} ${labels.skipped})` : count;
    legend.addTo(map);
  };
  fetch(element.dataset.geojson, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((geojson) => {
      data = geojson;
      draw();
      if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [20, 20] });
    });
  document.querySelectorAll("input[name=colour]").forEach((input) => {
    input.addEventListener("change", () => { mode = input.value; if (data) draw(); });
  });
})();
