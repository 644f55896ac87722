from chuangwen.testing.people import people_fixture

# Who reports in these tests: every public page is checked not to show either.
NAME = "欧阳春花"
PHONE = "13912345678"

people = people_fixture("operator", "admin", "collector", "water")
