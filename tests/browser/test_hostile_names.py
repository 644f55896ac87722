"""Names are shown as text in map tooltips and popups and in chart tooltips: a territory or
point named like markup creates no element, whatever the Content-Security-Policy would
have stopped."""

import pytest
from playwright.sync_api import expect

from chuangwen.org.choices import Role
from chuangwen.territory.services import territory_node_update
from chuangwen.testing.cases import build_catalogue
from chuangwen.testing.city import build_mini_city
from chuangwen.testing.evaluation import build_registry

from .conftest import shot
from .test_cases import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKUP = '<img src="x" class="planted" onerror="window.planted = 1">'
STREET = f"武当路{MARKUP}街道"
GRID = f"第1网格{MARKUP}"
POINT = f"五堰市场{MARKUP}"


@pytest.fixture
def hostile(transactional_db):
    city = build_mini_city()
    registry = build_registry(city, build_catalogue(city))
    territory_node_update(node=city.node("420302001"), actor=None, name=STREET)
    territory_node_update(node=city.node("420302001001001"), actor=None, name=GRID)
    market = registry.points["MARKET-420302001001"]
    type(market).objects.filter(pk=market.pk).update(name=POINT)
    city.user(Role.CITY_ADMIN, "city", username="guanli")
    return city


def screen_point(page, map_id, latlng_js):
    """Where on the page the map shows the point latlng_js (a JS expression over `map`)."""
    return page.evaluate(
        f"""() => {{ const el = document.getElementById('{map_id}'); const map = el.leafletMap;
                   const p = map.latLngToContainerPoint({latlng_js});
                   const box = el.getBoundingClientRect();
                   return {{x: box.left + p.x, y: box.top + p.y}}; }}"""
    )


def assert_nothing_planted(page):
    assert page.locator("img.planted").count() == 0
    assert page.evaluate("() => window.planted === undefined")


def test_a_territory_name_stays_text_in_the_tooltip_and_the_popup(page, live_server, hostile):
    login(page, live_server.url, "guanli")
    page.goto(f"{live_server.url}/territory/420302/")
    expect(page.locator("#territory-map")).to_have_attribute("data-loaded", "2")
    # The middle of the street's west community, inside its first grid.
    where = screen_point(
        page,
        "territory-map",
        """(() => { let b; map.eachLayer(l => { if (l.feature && l.feature.properties.code
              === '420302001') { b = l.getBounds(); } });
              return [b.getSouth() + (b.getNorth() - b.getSouth()) / 4,
                      b.getWest() + (b.getEast() - b.getWest()) / 4]; })()""",
    )
    page.mouse.move(where["x"], where["y"])
    tooltip = page.locator("#territory-map .leaflet-tooltip")
    expect(tooltip).to_have_text(STREET)
    assert tooltip.locator("img").count() == 0

    page.mouse.click(where["x"], where["y"])
    popup = page.locator("#territory-map .leaflet-popup-content")
    expect(popup).to_contain_text(STREET)
    expect(popup).to_contain_text(GRID)
    expect(page.locator("#locate-result")).to_contain_text(GRID)
    assert popup.locator("img").count() == 0
    shot(page, f"hostile-territory-{page.viewport_name}", "popup")
    assert_nothing_planted(page)


def test_a_point_name_stays_text_in_the_tooltip_and_the_popup(page, live_server, hostile):
    login(page, live_server.url, "guanli")
    page.goto(f"{live_server.url}/evaluation/points/?q=五堰市场")
    expect(page.locator("#point-map")).to_have_attribute("data-loaded", "1")
    where = screen_point(
        page,
        "point-map",
        """(() => { let at; map.eachLayer(l => { if (l.getLatLng && l.getTooltip && l.getTooltip())
              { at = l.getLatLng(); } }); return at; })()""",
    )
    page.mouse.move(where["x"], where["y"])
    tooltip = page.locator("#point-map .leaflet-tooltip")
    expect(tooltip).to_have_text(POINT)
    assert tooltip.locator("img").count() == 0

    page.mouse.click(where["x"], where["y"])
    popup = page.locator("#point-map .leaflet-popup-content")
    expect(popup).to_contain_text(POINT)
    assert popup.locator("img").count() == 0
    assert_nothing_planted(page)


def test_a_name_stays_text_in_a_chart_tooltip(page, live_server, hostile):
    login(page, live_server.url, "guanli")
    page.goto(f"{live_server.url}/assessment/")
    page.wait_for_function("() => window.echarts && window.ChartTips")
    # A chart as the pages draw theirs, with a name where districts and points go.
    page.evaluate(
        """(name) => {
             const el = document.createElement('div');
             el.id = 'probe-chart';
             el.style.width = '360px';
             el.style.height = '240px';
             document.querySelector('main').prepend(el);
             const chart = echarts.init(el, null, { renderer: 'svg' });
             chart.setOption({
               animation: false,
               tooltip: { trigger: 'axis', formatter: ChartTips.axis() },
               xAxis: { type: 'category', data: [name] },
               yAxis: { type: 'value' },
               series: [{ name: name, type: 'bar', data: [5] }]
             });
             chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });
           }""",
        POINT,
    )
    tip = page.locator("#probe-chart .chart-tip")
    expect(tip.locator(".chart-tip-title")).to_have_text(POINT)
    expect(tip.locator(".chart-tip-name")).to_have_text(POINT)
    assert tip.locator("img").count() == 0
    assert_nothing_planted(page)
