// Regis interactive map: draws /api/v1/map.json with the vendored Apache ECharts (served from
// this server, never a CDN). Pan and zoom, a tooltip with name, value, unit and year, a click
// to the region's profile, a search box that finds a region (or, on the district map, a
// province, and zooms to it), and a ranked bar chart beside the map linked to it: hovering a
// region on either one highlights it on the other. Without scripts the server-drawn SVG map
// below stays.
(function () {
  "use strict";
  var box = document.getElementById("emap");
  if (!box || !window.echarts) {
    return;
  }
  var lang = box.getAttribute("data-lang") || "ko";
  var ko = lang === "ko";
  var source = box.getAttribute("data-src");
  var status = document.getElementById("emap-status");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // 1234567.8 -> "1,234,568" (ko: 만/억 are not used: figures stay comparable with tables).
  function formatted(v) {
    if (v === null || v === undefined || isNaN(v)) {
      return ko ? "자료 없음" : "no data";
    }
    var digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 ? 2 : 3;
    return Number(v).toLocaleString(ko ? "ko-KR" : "en-GB", {
      maximumFractionDigits: digits
    });
  }

  // Axis labels: 1,322만 or 1.3억 in Korean, 13.2M in English.
  function compact(v) {
    var a = Math.abs(v);
    if (ko) {
      if (a >= 1e8) {
        return (v / 1e8).toLocaleString("ko-KR", { maximumFractionDigits: 1 }) + "억";
      }
      if (a >= 1e4) {
        return Math.round(v / 1e4).toLocaleString("ko-KR") + "만";
      }
    } else {
      if (a >= 1e9) {
        return (v / 1e9).toFixed(1) + "B";
      }
      if (a >= 1e6) {
        return (v / 1e6).toFixed(1) + "M";
      }
      if (a >= 1e4) {
        return (v / 1e3).toFixed(0) + "k";
      }
    }
    return formatted(v);
  }

  function fold(s) {
    return String(s || "").replace(/\s+/g, "").toLowerCase();
  }

  // The bounding box of some features' coordinates: [minLon, minLat, maxLon, maxLat].
  function bounds(features) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    features.forEach(function (f) {
      f.geometry.coordinates.forEach(function (polygon) {
        polygon.forEach(function (ring) {
          ring.forEach(function (c) {
            b[0] = Math.min(b[0], c[0]);
            b[1] = Math.min(b[1], c[1]);
            b[2] = Math.max(b[2], c[0]);
            b[3] = Math.max(b[3], c[1]);
          });
        });
      });
    });
    return b;
  }

  say(ko ? "지도를 불러오는 중…" : "Loading the map…");
  fetch(source, { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) {
        throw new Error(r.status + " " + r.statusText);
      }
      return r.json();
    })
    .then(function (geo) {
      var mapName = "regis-" + Date.now();
      // Region names repeat across provinces (중구): ECharts keys regions by name, so each
      // feature is keyed by its code and shown by its name.
      geo.features.forEach(function (f) {
        f.properties.key = f.properties.code;
      });
      echarts.registerMap(mapName, geo);
      var values = geo.features
        .map(function (f) {
          return f.properties.value;
        })
        .filter(function (v) {
          return v !== null && v !== undefined;
        });
      var min = values.length ? Math.min.apply(null, values) : 0;
      var max = values.length ? Math.max.apply(null, values) : 1;
      var data = geo.features.map(function (f) {
        return {
          name: f.properties.code,
          value: f.properties.value,
          label_name: f.properties.name,
          parent: f.properties.parent
        };
      });
      var full = bounds(geo.features);
      var chart = echarts.init(box, null, { renderer: "svg" });
      chart.setOption({
        title: {
          text: geo.title,
          subtext: (ko ? "연도 " : "Year ") + geo.period + " · " + geo.unit,
          left: "center",
          textStyle: { fontSize: 15 }
        },
        tooltip: {
          trigger: "item",
          className: "emap-tip",
          formatter: function (p) {
            var d = p.data || {};
            var name = d.label_name || p.name;
            if (d.parent) {
              name += ", " + d.parent;
            }
            return (
              "<b>" + echarts.format.encodeHTML(name) + "</b><br>" +
              echarts.format.encodeHTML(formatted(d.value) + " " + geo.unit) +
              "<br>" + (ko ? "연도 " : "Year ") + geo.period
            );
          }
        },
        visualMap: {
          type: "continuous",
          min: min,
          max: max,
          left: 10,
          bottom: 20,
          calculable: true,
          text: [geo.unit, ""],
          formatter: function (v) {
            return formatted(v);
          },
          inRange: {
            color: ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
          }
        },
        series: [
          {
            type: "map",
            map: mapName,
            nameProperty: "key",
            roam: true,
            scaleLimit: { min: 1, max: 40 },
            data: data,
            label: { show: false },
            emphasis: {
              label: {
                show: true,
                formatter: function (p) {
                  return (p.data && p.data.label_name) || p.name;
                }
              },
              itemStyle: { areaColor: "#fdae61" }
            },
            select: { disabled: true },
            itemStyle: { borderColor: "#666", borderWidth: 0.4 }
          }
        ]
      });
      chart.on("click", function (p) {
        if (p.data && p.data.name) {
          window.location.href =
            "/region/" + encodeURIComponent(p.data.name) + "?lang=" + lang;
        }
      });
      // The ranked bars beside the map (all provinces; the 30 largest districts), linked.
      var barsBox = document.getElementById("emap-bars");
      var bars = null;
      if (barsBox) {
        var ranked = data
          .filter(function (d) {
            return d.value !== null && d.value !== undefined;
          })
          .sort(function (a, b) {
            return b.value - a.value;
          })
          .slice(0, 30)
          .reverse();
        bars = echarts.init(barsBox, null, { renderer: "svg" });
        bars.setOption({
          title: {
            text: ranked.length < data.length
              ? (ko ? "상위 " + ranked.length + "개 지역" : "Largest " + ranked.length)
              : (ko ? "순위" : "Ranking"),
            left: "center",
            textStyle: { fontSize: 13 }
          },
          grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
          tooltip: {
            trigger: "item",
            className: "emap-bar-tip",
            formatter: function (p) {
              return echarts.format.encodeHTML(
                p.data.label_name + ": " + formatted(p.data.value) + " " + geo.unit
              );
            }
          },
          xAxis: {
            type: "value",
            splitNumber: 3,
            axisLabel: { formatter: function (v) { return compact(v); } }
          },
          yAxis: {
            type: "category",
            data: ranked.map(function (d) {
              return d.label_name;
            }),
            axisLabel: { fontSize: 11 }
          },
          series: [{
            type: "bar",
            data: ranked.map(function (d) {
              return { value: d.value, label_name: d.label_name, code: d.name };
            }),
            itemStyle: { color: "#6baed6" },
            emphasis: { itemStyle: { color: "#fdae61" } }
          }]
        });
        var position = {};
        ranked.forEach(function (d, i) {
          position[d.name] = i;
        });
        // Map to bars.
        chart.on("mouseover", function (p) {
          var code = p.data && p.data.name;
          barsBox.setAttribute("data-selected", code || "");
          if (code in position) {
            bars.dispatchAction({ type: "highlight", seriesIndex: 0, dataIndex: position[code] });
          }
        });
        chart.on("mouseout", function (p) {
          var code = p.data && p.data.name;
          if (code in position) {
            bars.dispatchAction({ type: "downplay", seriesIndex: 0, dataIndex: position[code] });
          }
        });
        // Bars to map.
        bars.on("mouseover", function (p) {
          box.setAttribute("data-selected", p.data.code);
          chart.dispatchAction({ type: "highlight", name: p.data.code });
        });
        bars.on("mouseout", function (p) {
          chart.dispatchAction({ type: "downplay", name: p.data.code });
        });
        bars.on("click", function (p) {
          window.location.href = "/region/" + encodeURIComponent(p.data.code) + "?lang=" + lang;
        });
      }
      window.addEventListener("resize", function () {
        chart.resize();
        if (bars) {
          bars.resize();
        }
      });
      // The server-drawn map is for pages without scripts (and print): hide it now.
      var fallback = document.getElementById("map");
      if (fallback) {
        fallback.hidden = true;
      }
      box.setAttribute("data-ready", "true");
      say(
        ko
          ? "끌어서 이동, 휠로 확대·축소, 지역을 누르면 지역 프로필로 갑니다."
          : "Drag to pan, wheel to zoom, click a region to open its profile."
      );

      var search = document.getElementById("emap-search");
      if (search) {
        search.addEventListener("change", function () {
          var key = fold(search.value);
          if (!key) {
            chart.setOption({
              series: [{ center: [(full[0] + full[2]) / 2, (full[1] + full[3]) / 2], zoom: 1 }]
            });
            return;
          }
          var hit = geo.features.filter(function (f) {
            return fold(f.properties.name) === key || f.properties.code === key;
          })[0] || geo.features.filter(function (f) {
            return fold(f.properties.name).indexOf(key) >= 0;
          })[0];
          var group = hit ? [hit] : geo.features.filter(function (f) {
            return fold(f.properties.parent).indexOf(key) >= 0;
          });
          if (!group.length) {
            say(ko ? "찾는 지역이 지도에 없습니다." : "No region of this map matches.");
            return;
          }
          var b = bounds(group);
          var zoom = Math.min(
            (full[2] - full[0]) / Math.max(b[2] - b[0], 0.05),
            (full[3] - full[1]) / Math.max(b[3] - b[1], 0.05)
          );
          chart.setOption({
            series: [{
              center: [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2],
              zoom: Math.max(1, Math.min(zoom * 0.8, 40))
            }]
          });
          if (hit) {
            chart.dispatchAction({ type: "highlight", name: hit.properties.code });
            chart.dispatchAction({ type: "showTip", seriesIndex: 0, name: hit.properties.code });
          }
          var one = group[0].properties;
          say(group.length === 1
            ? (one.name + (one.parent ? ", " + one.parent : ""))
            : (ko ? group.length + "개 지역" : group.length + " regions"));
        });
      }
    })
    .catch(function (e) {
      say((ko ? "대화형 지도를 그리지 못했습니다: " : "The interactive map failed: ") + e.message);
    });
})();
