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
  const colour = (props) =>
    mode === "land_use" ? landUseColours[props.land_use] || "#6c757d" : survivalColour(props.survival_pct);
  const text = (value) => String(value === null || value === undefined ? "–" : value)
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "map-legend");
    const entries = mode === "land_use"
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
    layer = L.geoJSON(data, {
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 5, weight: 1 }),
      style: (feature) => ({ color: colour(feature.properties), fillColor: colour(feature.properties), fillOpacity: 0.7 }),
      onEachFeature: (feature, featureLayer) => {
        const p = feature.properties;
        featureLayer.bindPopup(
          `<strong>${text(p.code)}</strong><br>${text(p.member)} (${text(p.member_code)})<br>${text(p.community)}<br>` +
          `${text(labels[p.land_use])}, ${text(p.area_ha)} ha<br>${text(labels.survival)}: ${text(p.survival_pct)} % (${text(p.alive)} / ${text(p.planted)})`
        );
      },
    }).addTo(map);
    legend.addTo(map);
  };
  fetch(element.dataset.geojson, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((geojson) => {
      data = geojson;
      document.getElementById("plot-count").textContent = `${geojson.features.length} ${labels.plots}`;
      draw();
      if (geojson.features.length) map.fitBounds(layer.getBounds(), { padding: [20, 20] });
    });
  document.querySelectorAll("input[name=colour]").forEach((input) => {
    input.addEventListener("change", () => { mode = input.value; if (data) draw(); });
  });
})();
