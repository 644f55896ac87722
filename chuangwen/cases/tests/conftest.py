from chuangwen.testing.people import people_fixture

# The cast of the case tests, at their homes in the mini city.
people = people_fixture(
    "operator", "leader", "collector", "water", "water2", "district", "zhangwan", "dept"
)
